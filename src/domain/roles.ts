export const ROLES = ['coordinator', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. Observers read; members work cases; coordinators also govern. */
export type Ability = 'read' | 'write' | 'govern';

const abilities: Record<Role, readonly Ability[]> = {
  coordinator: ['read', 'write', 'govern'],
  member: ['read', 'write'],
  observer: ['read'],
};

export function can(role: Role | undefined, ability: Ability): boolean {
  return role !== undefined && abilities[role].includes(ability);
}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}
