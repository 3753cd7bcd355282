/**
 * What the install pages say (`/slack/install` → Slack → `/slack/oauth_redirect`), in English
 * and Chinese: the browser's language picks one. Plain text: the page escapes it.
 */
export const installationsEn = {
  installDoneTitle: 'docket is installed',
  installDone: 'docket is installed in your workspace. In Slack, invite it to a group’s channel (/invite @docket) and type /docket help there.',
  installOpenSlack: 'Open Slack',
  installFailedTitle: 'docket could not be installed',
  /** Why, by what went wrong: the install link (state), the person cancelling, an org-wide install, or Slack's error code. */
  installFailed: (why: 'state' | 'cancelled' | 'org_install' | 'slack', code: string) =>
    why === 'state'
      ? 'This install link has expired, or was opened in another browser. Start again from the install page.'
      : why === 'cancelled'
        ? 'The install was cancelled in Slack. Start again from the install page whenever you are ready.'
        : why === 'org_install'
          ? 'docket is installed one workspace at a time: an install for a whole Enterprise Grid organization is not supported. Install it into each workspace instead.'
          : `Slack did not complete the install (${code}). Try again from the install page; if it keeps failing, tell whoever runs docket.`,
  installAgain: 'Start again',
};

export type InstallationsMessages = typeof installationsEn;

export const installationsZh: InstallationsMessages = {
  installDoneTitle: 'docket 已安装',
  installDone: 'docket 已安装到你的工作区。请在 Slack 中把它邀请到协作组的频道（/invite @docket），并在那里输入 /docket help。',
  installOpenSlack: '打开 Slack',
  installFailedTitle: 'docket 未能安装',
  installFailed: (why, code) =>
    why === 'state'
      ? '此安装链接已过期，或是在另一个浏览器中打开的。请从安装页面重新开始。'
      : why === 'cancelled'
        ? '已在 Slack 中取消安装。准备好后，请从安装页面重新开始。'
        : why === 'org_install'
          ? 'docket 需逐个工作区安装，不支持整个 Enterprise Grid 组织范围的安装。请分别安装到各个工作区。'
          : `Slack 未能完成安装（${code}）。请从安装页面重试；如果一直失败，请告知 docket 的管理员。`,
  installAgain: '重新开始',
};
