import assert from "node:assert/strict";
import { test } from "node:test";
import { isBlockedAddress } from "./is-blocked-address.ts";

test("refuses loopback, private, link-local, CGNAT, multicast, unspecified and broadcast IPv4", () => {
  for (const address of [
    "127.0.0.1",
    "127.255.0.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.251",
    "0.0.0.0",
    "255.255.255.255",
  ]) {
    assert.notEqual(isBlockedAddress(address), null, address);
  }
});

test("allows public IPv4 addresses, including neighbours of the blocked ranges", () => {
  for (const address of [
    "8.8.8.8",
    "93.184.215.14",
    "172.32.0.1",
    "100.128.0.1",
    "192.169.0.1",
    "11.0.0.1",
  ]) {
    assert.equal(isBlockedAddress(address), null, address);
  }
});

test("refuses IPv6 loopback, unspecified, unique-local, link-local, multicast and metadata", () => {
  for (const address of [
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "[::1]",
  ]) {
    assert.notEqual(isBlockedAddress(address), null, address);
  }
});

test("judges IPv4-mapped, NAT64 and 6to4 forms by the IPv4 address inside", () => {
  assert.equal(isBlockedAddress("::ffff:127.0.0.1"), "loopback");
  assert.equal(isBlockedAddress("::ffff:7f00:1"), "loopback");
  assert.equal(isBlockedAddress("::ffff:169.254.169.254"), "link-local");
  assert.equal(isBlockedAddress("64:ff9b::10.0.0.1"), "private");
  assert.equal(isBlockedAddress("2002:c0a8:0101::1"), "private");
  assert.equal(isBlockedAddress("::ffff:8.8.8.8"), null);
  assert.equal(isBlockedAddress("64:ff9b::808:808"), null);
});

test("allows public IPv6 addresses", () => {
  assert.equal(isBlockedAddress("2606:4700:4700::1111"), null);
  assert.equal(isBlockedAddress("2a00:1450:4001:82b::200e"), null);
});
