/**
 * Falco rule-file macros and lists: conditions copied from a rules file work
 * when their macros and lists are passed along, are expanded when printed, and
 * errors inside a macro point at the macro's name.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, toFalco, toWireshark } from '../../src/filter/index.js';
import { SYSCALL_ROWS } from './fixtures.js';

const defs = {
  macros: {
    spawned_process: 'evt.type = execve and evt.dir = <',
    shell_procs: 'proc.name in (shell_binaries)',
    open_read: 'evt.type in (open, openat) and evt.failed = false',
    sensitive_files: 'fd.name startswith /etc and fd.name in (sensitive_file_names)',
    loop_a: 'loop_b', loop_b: 'loop_a',
    broken: 'proc.nam = x',
  },
  lists: {
    shell_binaries: ['bash', 'sh', 'zsh'],
    sensitive_file_names: ['/etc/shadow', '/etc/sudoers', 'more_sensitive'],
    more_sensitive: ['/etc/passwd'],
  },
};

const rows = (expr: string) => SYSCALL_ROWS.map((_, i) => i).filter((i) => compile(expr, defs).test(SYSCALL_ROWS[i]!));

describe('Falco macros and lists', () => {
  it('expands macros used as conditions', () => {
    expect(rows('spawned_process and shell_procs')).toEqual([4]);
    expect(rows('not spawned_process and shell_procs')).toEqual([8]);
  });

  it('expands lists in parentheses, bare after in, and nested', () => {
    expect(rows('proc.name in (shell_binaries, cat)')).toEqual([0, 1, 4, 8]);
    expect(rows('proc.name in shell_binaries')).toEqual([4, 8]);
    expect(rows('open_read and sensitive_files')).toEqual([0]);
    expect(rows('sensitive_files')).toEqual([0, 1, 6]);
  });

  it('prints the expanded condition', () => {
    expect(toFalco('spawned_process and proc.name in shell_binaries', defs))
      .toBe('evt.type = execve and evt.dir = < and proc.name in (bash, sh, zsh)');
    expect(toWireshark('shell_procs', defs)).toBe('proc.name in {"bash" "sh" "zsh"}');
  });

  it('reports errors inside macros at the macro name', () => {
    const [e] = check('evt.num > 1 and broken', defs);
    expect(e!.kind).toBe('unknown-field');
    expect(e!.start).toBe(16);
    expect(e!.message).toBe('in macro "broken": unknown field "proc.nam"');
    const [loop] = check('loop_a', defs);
    expect(loop!.kind).toBe('bad-macro');
    expect(loop!.message).toMatch(/macro "loop_a" refers to itself/);
  });

  it('needs the lists it names', () => {
    const [e] = check('proc.name in shell_binaries');
    expect(e!.kind).toBe('unknown-list');
    expect(e!.start).toBe(13);
    // without definitions a macro name is an unknown field, with a hint
    expect(check('spawned_process')[0]!.message).toMatch(/a Falco macro\? pass its condition in the macros option/);
  });
});
