/**
 * `stratolab chart KIND SOURCE... [-Y FILTER] -o OUT.svg|OUT.png|OUT.vl.json|OUT.html`
 * Kinds: proctree, connections, iograph, activity, timeline.
 */
import { flag, formatOptions, list, parseArgs, str, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { loadSelection, SOURCE_OPTIONS, sourceSelection } from './source-options.js';

export const CHART_KINDS = ['proctree', 'connections', 'iograph', 'activity', 'timeline'] as const;

export const CHART_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'OUT', help: 'the file to write: .svg, .png, .vl.json (the Vega-Lite spec) or .html' },
  ...SOURCE_OPTIONS,
  { name: 'mark', value: 'FILTER', help: 'proctree: mark the processes with events matching FILTER (e.g. evt.type = connect)' },
  { name: 'color-by', value: 'FIELD', help: 'proctree, connections: the field that colors nodes or points' },
  { name: 'series', value: 'FILTER', multiple: true, help: 'iograph: one line per filter (repeatable); default all events' },
  { name: 'panel', value: 'NAME', help: 'activity: heatmap, calls, errors, sourceips or all (default)' },
  { name: 'group-by', value: 'FIELD', help: 'timeline: lanes by FIELD instead of by source' },
  { name: 'title', value: 'TEXT', help: 'the chart title' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const CHART_HELP = `Usage: stratolab chart KIND SOURCE... -o OUT [options]

Kinds:
  proctree     process tree of syscall events (exec chains, processes from before the capture)
  connections  connect/accept/sendto over time, one lane per remote ip:port
  iograph      events per interval, one line per filter (Stratoshark's I/O graph)
  activity     CloudTrail/GCP: calls per principal over time, top calls, errors, source IPs
  timeline     every source on one time axis, one lane per source

Options:
${formatOptions(CHART_OPTIONS)}

Examples:
  stratolab chart proctree capture.scap --mark 'evt.type = connect' -o tree.png
  stratolab chart activity trail/ -Y 'ct.error' --panel errors -o errors.svg
  stratolab chart timeline trail/ capture.scap -o timeline.html
`;

export async function runChart(argv: readonly string[]): Promise<number> {
  const args = parseArgs('chart', argv, CHART_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(CHART_HELP);
    return 0;
  }
  const [kind, ...sources] = args.positionals;
  if (!kind || !(CHART_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`chart KIND must be one of ${CHART_KINDS.join(', ')}${kind ? ` (got "${kind}")` : ''}`, 'stratolab chart --help');
  }
  const out = str(args.options.output);
  if (!out || !/\.(svg|png|vl\.json|json|html)$/.test(out)) throw new UsageError('"chart" needs -o OUT.svg, OUT.png, OUT.vl.json or OUT.html', 'stratolab chart --help');
  const sel = await sourceSelection('chart', { ...args, positionals: sources });
  const charts = await import('../charts/index.js');
  const title = str(args.options.title);
  // proctree marks within the whole capture, so the filter marks instead of cutting the lineage away
  const mark = str(args.options.mark) ?? (kind === 'proctree' ? sel.filter : undefined);
  const load = kind === 'proctree' ? { ...sel, filter: undefined } : sel;
  const { table } = await loadSelection(load);
  // the processes each capture knew at its start, so the tree reaches back before the first event
  const processes: import('../charts/proctree.js').ProcessInfo[] = [];
  if (kind === 'proctree') {
    const { captureProcesses } = await import('../sources/scap/processes.js');
    const { isScapFile } = await import('../sources/scap/load.js');
    for (const s of sources) if (await isScapFile(s).catch(() => false)) processes.push(...(await captureProcesses(s)));
  }
  const spec =
    kind === 'proctree'
      ? charts.processTree(table, { title, mark, colorBy: str(args.options['color-by']), processes })
      : kind === 'connections'
        ? charts.connectTimeline(table, { title, colorBy: str(args.options['color-by']) })
        : kind === 'iograph'
          ? charts.ioGraph(table, { title, series: list(args.options.series).length ? list(args.options.series) : undefined })
          : kind === 'activity'
            ? charts.activity(table, { title, panel: (str(args.options.panel) as never) ?? 'all' })
            : charts.timeline(table, { title, groupBy: str(args.options['group-by']) });
  await charts.writeChart(spec, out);
  process.stderr.write(`stratolab: ${kind} chart of ${table.numRows()} events written to ${out}\n`);
  return 0;
}
