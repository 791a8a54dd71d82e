/** `stratolab kernel install [--user | --prefix DIR] [--python PATH]`: registers the Jupyter kernel. */
import { flag, formatOptions, parseArgs, str, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';

export const KERNEL_OPTIONS: readonly OptionSpec[] = [
  { name: 'user', help: "install into the user's Jupyter data dir" },
  { name: 'prefix', value: 'DIR', help: 'install into DIR/share/jupyter/kernels (then JUPYTER_PATH=DIR/share/jupyter)' },
  { name: 'python', value: 'PATH', help: 'the Python whose Jupyter registers the kernel (default: the first with jupyter_client)' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const KERNEL_HELP = `Usage: stratolab kernel install [--user | --prefix DIR] [--python PATH]

Registers the "stratolab" Jupyter kernel ("TypeScript (stratolab)"): cells are
TypeScript, \`import * as sl from "stratolab"\` works, tslab's display API too.

Options:
${formatOptions(KERNEL_OPTIONS)}
`;

export async function runKernel(argv: readonly string[]): Promise<number> {
  const args = parseArgs('kernel', argv, KERNEL_OPTIONS);
  if (flag(args.options.help) || args.positionals.length === 0) {
    process.stdout.write(KERNEL_HELP);
    return args.positionals.length === 0 && !flag(args.options.help) ? 2 : 0;
  }
  const [sub, ...rest] = args.positionals;
  if (sub !== 'install' || rest.length) throw new UsageError(`unknown "kernel" subcommand "${args.positionals.join(' ')}"`, 'stratolab kernel --help');
  if (flag(args.options.user) && str(args.options.prefix)) throw new UsageError('--user and --prefix exclude each other', 'stratolab kernel --help');
  const { installKernel } = await import('../../kernel/install.js');
  const dir = installKernel({ user: flag(args.options.user), prefix: str(args.options.prefix), python: str(args.options.python) });
  process.stdout.write(`installed the stratolab kernel in ${dir}\n`);
  return 0;
}
