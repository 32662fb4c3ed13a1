import { MemoryStore } from './MemoryStore.ts';
import { describeStoreContract } from './storeContract.ts';

describeStoreContract('MemoryStore', () => new MemoryStore());
