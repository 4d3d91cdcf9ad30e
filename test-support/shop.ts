// A merchant's shop for browser tests: the page a returnUrl leads back to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';

export interface Shop {
  /** e.g. http://127.0.0.1:43210 */
  url: string;
  /** A returnUrl on this shop for an order. */
  returnUrl(order: string): string;
  /** Paths the shop has served, in order. */
  visits: string[];
}

/** Starts a shop for the enclosing test file and stops it afterwards. */
export function useShop(): Shop {
  const shop: Shop = { url: '', returnUrl: (order) => `${shop.url}/return?order=${encodeURIComponent(order)}`, visits: [] };
  let server: Server;
  before(async () => {
    server = createServer((req, res) => {
      shop.visits.push(req.url ?? '/');
      const order = new URL(req.url ?? '/', 'http://shop').searchParams.get('order') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><title>Shop</title><h1 id="thanks">Thank you for your order</h1><p id="order">${order.replace(/[^\w-]/g, '')}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    shop.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return shop;
}
