/**
 * `ssh://[user@]host[:port]` specs: what the user typed, before ~/.ssh/config
 * resolves aliases. The label (host or host:port, as typed) becomes
 * `evt.hostname` of every event read from that host.
 */

export interface SshTarget {
  /** the spec as given, e.g. `ssh://root@web1:2222` */
  spec: string;
  /** the host as the user named it: `web1`, or `web1:2222` when a port was given */
  label: string;
  user?: string;
  /** alias or hostname, before ssh config resolution (IPv6 without brackets) */
  host: string;
  port?: number;
}

export function isSshSpec(spec: string): boolean {
  return /^ssh:\/\//i.test(spec);
}

/** Parses `ssh://[user@]host[:port][/]`; `[v6addr]:port` is accepted. Throws on anything else. */
export function parseSshSpec(spec: string): SshTarget {
  if (!isSshSpec(spec)) throw new Error(`not an ssh:// spec: ${spec}`);
  let rest = spec.slice('ssh://'.length).replace(/\/+$/, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = decodeURIComponent(rest.slice(0, at));
    rest = rest.slice(at + 1);
    if (!user) throw new Error(`${spec}: empty user name`);
  }
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const colon = rest.indexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    portText = colon >= 0 ? rest.slice(colon + 1) : undefined;
  }
  if (!host || /[\s/]/.test(host)) throw new Error(`${spec}: bad host name "${host}"`);
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new Error(`${spec}: bad port "${portText}"`);
    }
    port = Number(portText);
  }
  const label = port === undefined ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { spec, label, host, port, ...(user !== undefined ? { user } : {}) };
}
