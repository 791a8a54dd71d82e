/** The CloudTrail SourceLoader: local files and directories whose content is CloudTrail. */
import type { LoadOptions, LoadResult, SourceLoader } from '../types.js';
import { loadCloudTrail } from './read-files.js';
import { isCloudTrailPath } from './sniff.js';

export const cloudtrailLoader: SourceLoader = {
  name: 'cloudtrail',
  matches(spec: string): Promise<boolean> {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !spec.startsWith('file://')) return Promise.resolve(false);
    return isCloudTrailPath(spec.startsWith('file://') ? new URL(spec).pathname : spec);
  },
  load(specs: readonly string[], opts: LoadOptions): Promise<LoadResult> {
    return loadCloudTrail(
      specs.map((s) => (s.startsWith('file://') ? new URL(s).pathname : s)),
      opts,
    );
  },
};
