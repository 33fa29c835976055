// Kernel notifications of link, address and route changes (rtnetlink, through the native helper), as plain
// data. The store turns them into events between samples, so a flap shorter than the interval is seen;
// the samples stay the source of truth (the kernel sends no notice for routes removed with their link, and
// drops notices when a burst overruns the socket).

export type LinkNotice =
  | {
      readonly type: 'link' | 'link-deleted';
      readonly ifindex: number;
      readonly name?: string;
      /** IFF_* flags. */
      readonly flags?: number;
      /** IF_OPER_*: 2 down, 3 lower layer down, 5 dormant, 6 up, 0 unknown. */
      readonly operstate?: number;
      readonly mtu?: number;
      readonly carrier?: number;
    }
  | {
      readonly type: 'address' | 'address-deleted';
      readonly ifindex: number;
      readonly family: 4 | 6;
      readonly address?: string;
      readonly prefixLength: number;
      readonly name?: string;
    }
  | {
      readonly type: 'route' | 'route-deleted';
      readonly family: 4 | 6;
      readonly destination?: string;
      readonly prefixLength: number;
      readonly gateway?: string;
      readonly ifindex?: number;
      readonly metric?: number;
    }
  /** The kernel dropped notices (a burst): only the next sample knows what happened. */
  | { readonly type: 'overrun' };

const OPER: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'notpresent',
  2: 'down',
  3: 'lowerlayerdown',
  4: 'testing',
  5: 'dormant',
  6: 'up',
};

/** IF_OPER_* as /sys/class/net/IFACE/operstate spells it. */
export function operstateName(code: number | undefined): string | undefined {
  return code === undefined ? undefined : (OPER[code] ?? 'unknown');
}
