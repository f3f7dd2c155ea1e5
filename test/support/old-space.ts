import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');

/** A full collection, as `--expose-gc` would give it, for tests that measure what is left after one. */
export const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Bytes in use in V8's old generation, where only a full collection frees anything. */
export const oldSpaceBytes = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_used_size;
