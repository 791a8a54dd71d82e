/**
 * Users and groups from the UL blocks. sysdig 0.29.3 resolves by uid/gid only
 * (container users are not distinguished); a uid missing from the table has
 * no name (`<NA>`).
 */
import type { GroupEntry, UserEntry } from './types.js';

export class UserTable {
  readonly users = new Map<number, UserEntry>();
  readonly groups = new Map<number, GroupEntry>();

  addUsers(users: readonly UserEntry[], groups: readonly GroupEntry[]): void {
    for (const u of users) this.users.set(u.uid >>> 0, u);
    for (const g of groups) this.groups.set(g.gid >>> 0, g);
  }
  clear(): void {
    this.users.clear();
    this.groups.clear();
  }
  user(uid: number): UserEntry | undefined {
    return this.users.get(uid >>> 0);
  }
  group(gid: number): GroupEntry | undefined {
    return this.groups.get(gid >>> 0);
  }
}
