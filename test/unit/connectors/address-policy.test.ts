/** Which outbound addresses the HTTP connector may call, and what WEFT_CONNECTOR_ALLOW opens. */
import { describe, expect, it } from 'vitest';
import { addressPolicy, embeddedIPv4, refusal } from '../../../connectors/http/address-policy.js';
import { guardedLookup } from '../../../connectors/http/guarded-lookup.js';
import { ConnectorError } from '../../../connectors/sdk/connector-error.js';

const none = addressPolicy([]).policy;

describe('the outbound address policy', () => {
  it('allows public addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(refusal('api.example', address, none), address).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
  ])('refuses %s (%s), naming it and the setting', (address, kind) => {
    const why = refusal('internal', address, none);
    expect(why).toContain(address);
    expect(why).toContain(`a ${kind} address`);
    expect(why).toContain('WEFT_CONNECTOR_ALLOW');
  });

  it('names the IPv4 address an IPv6 form holds', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2001:db8::1')).toBeNull();
    expect(refusal('x', '::ffff:7f00:1', none)).toContain('that is 127.0.0.1');
  });

  it('allows what WEFT_CONNECTOR_ALLOW lists: addresses, networks and host names, IPv4-mapped forms included', () => {
    // given
    const { policy, problems } = addressPolicy(['127.0.0.1', '10.0.0.0/8', 'Orders.Internal', 'fd12::/16']);
    expect(problems).toEqual([]);

    // then
    expect(refusal('x', '127.0.0.1', policy)).toBeNull();
    expect(refusal('x', '::ffff:127.0.0.1', policy)).toBeNull();
    expect(refusal('x', '10.200.3.4', policy)).toBeNull();
    expect(refusal('orders.internal', '192.168.7.7', policy)).toBeNull();
    expect(refusal('x', 'fd12::9', policy)).toBeNull();
    // and nothing else
    expect(refusal('x', '127.0.0.2', policy)).toContain('loopback');
    expect(refusal('x', '192.168.7.7', policy)).toContain('private');
  });

  it('names entries that are neither a host nor a CIDR', () => {
    expect(addressPolicy(['10.0.0.0/33', 'a b', '1.2.3.4/8/9', 'ok.host']).problems).toEqual([
      "'10.0.0.0/33' is neither a host nor a CIDR",
      "'a b' is neither a host nor a CIDR",
      "'1.2.3.4/8/9' is neither a host nor a CIDR",
    ]);
  });

  it('refuses a host name that resolves to a refused address at look-up, so the socket never connects to it', async () => {
    // when
    const error = await new Promise<unknown>((resolve) => guardedLookup(none)('localhost', { family: 0 }, (err) => resolve(err)));

    // then
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('ADDRESS_NOT_ALLOWED');
    expect((error as ConnectorError).message).toMatch(/may not call localhost \((127\.0\.0\.1|::1)\): it is a loopback address/);
  });

  it('passes the checked addresses to the socket when they are allowed', async () => {
    const { policy } = addressPolicy(['127.0.0.0/8', '::1']);
    const result = await new Promise<unknown>((resolve, reject) =>
      guardedLookup(policy)('localhost', { family: 0, all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
    );
    expect(result).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });
});
