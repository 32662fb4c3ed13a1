/**
 * Test fixture (run as a child process by compact.test.ts): compact the database named by argv[2] and
 * kill -9 this process right after the step named by argv[3], as a power cut at that moment would.
 */
import { compactDatabase, type CompactStep } from './compact.ts';

const [dbPath, killAfter] = process.argv.slice(2);
if (dbPath === undefined || killAfter === undefined) throw new Error('usage: compactChild.fixture.ts DB STEP');
compactDatabase(dbPath, {
  onStep: (step: CompactStep) => {
    if (step === killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
