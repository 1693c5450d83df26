import type { Organization, OrgConfig, ProvisioningMode } from '../schemas/config';
import type { Member } from '../schemas/members';
import type { DirectorySnapshot } from '../schemas/snapshot';
import type { AddressRanges, DirectoryIndex, OrgAccess } from './access/resolve';
import type { MembersByOrg } from './member-addresses';

/**
 * Work `audit`, `plan`, `explain` and `preflight` can share over the same input objects: the
 * directory index per snapshot, each org's access resolution, the member lists' addresses and
 * split by org, the member rows the input hashes read. One explicit object instead of state hidden
 * in modules: each call makes its own unless one is passed, so nothing is kept between calls that
 * a caller did not ask for.
 *
 *   const cache = createEngineCache();
 *   const report = audit({ snapshot, config, members, now, cache });
 *   const result = plan({ snapshot, config, members, now, cache }); // reuses the index and access
 *
 * Entries are keyed by the input objects (weakly: they go when the inputs go). A snapshot is
 * taken as unchanged once indexed (pass a new object, or a new cache, after changing one); a
 * member list is re-read when a row's address, org id or role changed in place.
 */
export interface EngineCache {
  /** @internal The directory index per snapshot object. */
  readonly indexes: WeakMap<DirectorySnapshot, DirectoryIndex>;
  /** @internal Access results per (index, org object), by catalogue key and current-member marks. */
  readonly access: WeakMap<
    DirectoryIndex,
    WeakMap<Organization, Map<string, { marks: Uint8Array; access: OrgAccess }[]>>
  >;
  /** @internal Current-member marks per (index, org object, member list). */
  readonly marks: WeakMap<
    DirectoryIndex,
    WeakMap<
      Organization,
      WeakMap<
        readonly Pick<Member, 'email' | 'orgId' | 'role'>[],
        {
          addresses: readonly (string | null)[];
          mode: ProvisioningMode;
          seatsCounted: boolean;
          orgIds: (string | undefined)[];
          roles: (string | undefined)[];
          marks: Uint8Array;
        }
      >
    >
  >;
  /** @internal The index entries of a member list's addresses, per (index, addresses array). */
  readonly ranges: WeakMap<DirectoryIndex, WeakMap<readonly (string | null)[], AddressRanges>>;
  /** @internal Normalised addresses per member list. */
  readonly addresses: WeakMap<readonly Pick<Member, 'email'>[], { raw: string[]; normalised: (string | null)[] }>;
  /** @internal A member list split by org, per config object. */
  readonly splits: WeakMap<
    readonly Member[],
    WeakMap<Pick<OrgConfig, 'organizations'>, { rows: Member[]; orgIds: (string | undefined)[]; split: MembersByOrg }>
  >;
  /** @internal The member rows the input hashes read, per member list. */
  readonly memberRows: WeakMap<readonly Member[], unknown>;
}

export function createEngineCache(): EngineCache {
  return {
    indexes: new WeakMap(),
    access: new WeakMap(),
    marks: new WeakMap(),
    ranges: new WeakMap(),
    addresses: new WeakMap(),
    splits: new WeakMap(),
    memberRows: new WeakMap(),
  };
}
