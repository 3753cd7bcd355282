/** What `/docket export-all` says, in English and Chinese; spread into the groups catalog. */
export const exportAllEn = {
  exportAllUsage: '/docket export-all',
  exportedAll: (files: number) => `Shared ${files} files in this channel: the cases, action items, money entries, the whole timeline, people, units and meetings of this group, as CSV (UTF-8).`,
  exportAllComment: (user: string) => `Everything of this group, exported by <@${user}>.`,
};

export type ExportAllMessages = typeof exportAllEn;

export const exportAllZh: ExportAllMessages = {
  exportAllUsage: '/docket export-all',
  exportedAll: (files) => `已在本频道分享 ${files} 个文件：本组的案件、待办事项、资金记录、全部时间线、人员、单位和会议，均为 CSV（UTF-8）。`,
  exportAllComment: (user) => `本组全部数据，由 <@${user}> 导出。`,
};
