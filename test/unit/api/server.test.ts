import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from '../../../engine/api/server.js';

describe('listen', () => {
  it('resolves once listening, and rejects with a clear message when the port is in use', async () => {
    // given
    const first = await listen(express(), 0);
    const { port } = first.address() as AddressInfo;
    try {
      // when / then
      await expect(listen(express(), port)).rejects.toThrow(`port ${port} is in use; set PORT`);
    } finally {
      first.close();
    }
  });
});
