// SPDX-License-Identifier: MIT
// Corpus: an allocation-heavy Node.js program (objects, maps, strings, JSON, Buffers); deterministic.
'use strict';
const byName = new Map();
for (let i = 0; i < 300000; i++) {
  const item = { id: i, name: 'n' + ((i * 7919) % 100003), tags: [i % 3, i % 5, 'x'.repeat(i % 17)] };
  byName.set(item.name, item);
}
const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const text = JSON.stringify(sorted.slice(0, 60000));
const back = JSON.parse(text);
const buffers = [];
for (let i = 0; i < 3000; i++) buffers.push(Buffer.alloc(1024 + 37 * i, i % 251)); // malloc'd backing stores
let checksum = 0;
for (const b of buffers) checksum = (checksum + b[b.length - 1] * b.length) % 1000000007;
console.log(byName.size, sorted[0].name, sorted[sorted.length - 1].name, text.length, back.length, checksum);
