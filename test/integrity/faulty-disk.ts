/**
 * File systems with faults, for `withOutputFileSystem`: a disk that fills up, and a
 * process that stops (as if killed) before a given rename. They wrap the real one, so
 * what a command leaves behind is on the disk to look at.
 */
import type { OutputFileSystem, WritableFile } from '../../src/io/file-system.js';
import { nodeFileSystem } from '../../src/io/file-system.js';

/**
 * A disk with `room` bytes free: writes take bytes until it is full, the one that crosses
 * the limit is short (as write(2) is), and the next fails with ENOSPC.
 */
export function diskWithRoom(room: number): OutputFileSystem & { readonly used: number } {
  let used = 0;
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  return {
    ...nodeFileSystem,
    get used() {
      return used;
    },
    async create(path, mode) {
      const file = await nodeFileSystem.create(path, mode);
      const limited: WritableFile = {
        async write(bytes, offset, length) {
          const take = Math.min(length, room - used);
          if (take <= 0) throw full();
          used += take;
          return file.write(bytes, offset, take);
        },
        sync: () => file.sync(),
        close: () => file.close(),
      };
      return limited;
    },
  };
}

/**
 * A process that stops for good (a SIGKILL, a power cut) just before its rename number
 * `renames + 1`: that rename and everything after it never happen. `stopped` resolves
 * when it has stopped, and the disk is then as the kill would leave it.
 */
export function stopBeforeRename(renames: number): { fs: OutputFileSystem; stopped: Promise<void> } {
  let done = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const fs: OutputFileSystem = {
    ...nodeFileSystem,
    async rename(from, to) {
      if (done === renames) {
        stop();
        return new Promise<void>(() => undefined);
      }
      done++;
      return nodeFileSystem.rename(from, to);
    },
  };
  return { fs, stopped };
}
