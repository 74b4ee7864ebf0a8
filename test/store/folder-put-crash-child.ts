/**
 * Child process of the folder store's crash test: opens the store and puts a file read from
 * a named pipe, so the parent controls how far the copy gets before it kills this process.
 * Usage: node --import tsx folder-put-crash-child.ts <root> <source-fifo> <key> <size> <sha256>
 */
import { FolderFileStore } from '../../src/store/folder-file-store.js';

const [root, source, key, size, sha256] = process.argv.slice(2);
if (!root || !source || !key || !size || !sha256) throw new Error('usage: <root> <source-fifo> <key> <size> <sha256>');
const store = await FolderFileStore.open({ root });
await store.putFile(key, source, { size: Number(size), sha256 });
