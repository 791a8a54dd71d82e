/**
 * The filter as the remote sysdig takes it. sysdig only knows Falco syntax;
 * a filter written in Wireshark syntax (`proc.name == "sshd" && evt.type ==
 * "connect"`) is translated with the filter engine. A Falco-syntax filter,
 * or one the engine cannot read (a field only sysdig knows), goes verbatim:
 * sysdig then judges it, and its error comes back as the host's failure.
 */
import { compile, toFalco } from '../../filter/index.js';

export function serverFilter(filter: string): string {
  try {
    const c = compile(filter);
    return c.syntax === 'falco' ? filter : toFalco(c.ast);
  } catch {
    return filter;
  }
}
