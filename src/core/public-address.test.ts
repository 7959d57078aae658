import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './public-address.js';

// The check itself, over the IANA special-purpose registries: nothing here
// connects anywhere. Each range is tried at its first and last address.

const REFUSED_V4 = [
  ['0.0.0.0/8', '0.0.0.0', '0.255.255.255'],
  ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
  ['100.64.0.0/10', '100.64.0.0', '100.127.255.255'],
  ['127.0.0.0/8', '127.0.0.1', '127.255.255.255'],
  ['169.254.0.0/16', '169.254.169.254', '169.254.255.255'],
  ['172.16.0.0/12', '172.16.0.0', '172.31.255.255'],
  ['192.0.0.0/24', '192.0.0.0', '192.0.0.255'],
  ['192.0.2.0/24', '192.0.2.0', '192.0.2.255'],
  ['192.88.99.0/24', '192.88.99.0', '192.88.99.255'],
  ['192.168.0.0/16', '192.168.0.0', '192.168.255.255'],
  ['198.18.0.0/15', '198.18.0.0', '198.19.255.255'],
  ['198.51.100.0/24', '198.51.100.0', '198.51.100.255'],
  ['203.0.113.0/24', '203.0.113.0', '203.0.113.255'],
  ['224.0.0.0/4', '224.0.0.0', '239.255.255.255'],
  ['240.0.0.0/4', '240.0.0.0', '255.255.255.254'],
  ['broadcast', '255.255.255.255', '255.255.255.255'],
] as const;

// Just outside each refused range, and a few well-known public addresses.
const PUBLIC_V4 = [
  '1.0.0.0',
  '9.255.255.255',
  '11.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.255',
  '192.0.3.0',
  '192.88.98.255',
  '192.88.100.0',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '198.51.99.255',
  '198.51.101.0',
  '203.0.112.255',
  '203.0.114.0',
  '223.255.255.255',
  '8.8.8.8',
  '93.184.215.14',
];

const REFUSED_V6 = [
  ['::/128', '::'],
  ['::1/128', '::1'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
  ['IPv4-mapped, upper case', '::FFFF:7F00:1'],
  ['IPv4-mapped, written out', '0:0:0:0:0:ffff:7f00:0001'],
  ['IPv4-mapped metadata service', '::ffff:169.254.169.254'],
  ['IPv4-mapped private', '::ffff:10.0.0.1'],
  ['IPv4-mapped benchmarking', '::ffff:198.18.0.1'],
  ['IPv4-compatible loopback', '::127.0.0.1'],
  ['IPv4-translated (SIIT)', '::ffff:0:8.8.8.8'],
  ['NAT64 loopback', '64:ff9b::127.0.0.1'],
  ['NAT64 loopback, hex', '64:ff9b::7f00:1'],
  ['NAT64 metadata service', '64:ff9b::a9fe:a9fe'],
  ['NAT64 private', '64:ff9b::c0a8:101'],
  ['local-use NAT64 64:ff9b:1::/48', '64:ff9b:1::808:808'],
  ['local-use NAT64, last', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff'],
  ['discard-only 100::/64', '100::1'],
  ['IETF protocol assignments 2001::/23', '2001::1'],
  ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  ['2001::/23, last', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['documentation 2001:db8::/32', '2001:db8::1'],
  ['documentation 2001:db8::/32, last', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['documentation 3fff::/20', '3fff::1'],
  ['6to4 of loopback', '2002:7f00:1::1'],
  ['6to4 of a private address', '2002:c0a8:101::1'],
  ['6to4 of the metadata service', '2002:a9fe:a9fe::'],
  ['unique local fc00::/7', 'fc00::1'],
  ['unique local fd00::/8', 'fd12:3456:789a::1'],
  ['link-local fe80::/10', 'fe80::1'],
  ['link-local, last', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['site-local (deprecated)', 'fec0::1'],
  ['multicast ff00::/8', 'ff02::1'],
  ['multicast, last', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['outside global unicast', '4000::1'],
] as const;

const PUBLIC_V6 = [
  '2001:4860:4860::8888',
  '2606:4700:4700::1111',
  '2001:200::1', // just past 2001::/23
  '2001:db9::1', // just past 2001:db8::/32
  '::ffff:8.8.8.8',
  '64:ff9b::808:808', // NAT64 of a public address
  '2002:808:808::1', // 6to4 of a public address
  '3fff:1000::1', // just past 3fff::/20
];

describe('isPublicAddress', () => {
  it.each(REFUSED_V4)('refuses %s (%s … %s)', (_range, first, last) => {
    expect(isPublicAddress(first)).toBe(false);
    expect(isPublicAddress(last)).toBe(false);
  });

  it.each(PUBLIC_V4)('lets the public address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(REFUSED_V6)('refuses %s (%s)', (_range, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(PUBLIC_V6)('lets the public address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '',
    'localhost',
    'example.org',
    '1.2.3',
    '256.1.1.1',
    '1.2.3.4.5',
    'fe80::1%eth0',
    '::ffff:127.0.0.1.1',
    '1:2:3:4:5:6:7:8:9',
  ])('refuses %j, which is no address', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});
