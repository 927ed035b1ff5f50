/**
 * The DNS look-up the HTTP connector's sockets use: it resolves the host,
 * judges every address it got (address-policy.ts), and hands the socket only
 * addresses it judged, so the address connected to is the address checked
 * (a second look-up by the socket, which DNS rebinding could answer
 * differently, never happens). One refused address refuses the host: a
 * name that resolves into the server's neighbourhood is not called at all.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refusal, type AddressPolicy } from './address-policy.js';
import { addressRefused } from './http-errors.js';

export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const why = refusal(hostname, address, policy);
        if (why) return callback(addressRefused(why), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
