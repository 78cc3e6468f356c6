// Loopback source addresses for client sockets. Linux routes all of 127.0.0.0/8 to lo, and each
// source address has its own ~28k ephemeral ports (32768–60999) towards one server port, so
// spreading clients over many addresses lifts the port ceiling. It also keeps each address under
// Parley's per-address limit on opening visitor sessions (120 a minute), as real visitors, each
// from their own address, would be.

/** Clients per source address: below the 120-a-minute visitor-session limit. */
export const clientsPerAddress = 100;

/** The source address of client number `i` (0-based). */
export function sourceAddress(i: number): string {
  const a = Math.floor(i / clientsPerAddress);
  // 254 hosts per /24, skipping .0 and .255; 127.20.0.0/16 holds 65,024 addresses (6.5M clients).
  return `127.20.${Math.floor(a / 254)}.${(a % 254) + 1}`;
}

/** How many source addresses `clients` clients use. */
export function addressCount(clients: number): number {
  return Math.ceil(clients / clientsPerAddress);
}
