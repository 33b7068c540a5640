import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/map-limit.ts
async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => b.index < a.index ? b : a);
    throw first.error;
  }
  return results;
}

export {
  mapLimit
};
