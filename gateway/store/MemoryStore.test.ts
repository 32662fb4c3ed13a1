import { MemoryStore } from './MemoryStore.ts';
import { describeStoreContract } from './storeContract.ts';
import { describeRetentionContract } from './retentionContract.ts';

describeStoreContract('MemoryStore', () => new MemoryStore());
describeRetentionContract('MemoryStore', () => new MemoryStore());
