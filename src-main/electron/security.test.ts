import { describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async () => undefined);
vi.mock('electron', () => ({ shell: { openExternal } }));
const { applySecurity, createTrustedSender, isExternalUrl } = await import('./security.js');

function fakeWindow() {
  const on = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  let permission: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    on: (name: string, h: (...args: unknown[]) => void) => on.set(name, h),
    session: { setPermissionRequestHandler: (h: typeof permission) => (permission = h), setPermissionCheckHandler: () => undefined },
  };
  return { window: { webContents: contents } as never, on, open: (url: string) => openHandler!({ url }), permission: (p: string) => new Promise<boolean>((r) => permission!(null, p, r)) };
}

describe('window security restrictions', () => {
  it('sends http(s) links to the system browser and opens no window for any link', () => {
    const w = fakeWindow();
    applySecurity(w.window, createTrustedSender(undefined));
    expect(w.open('https://activemq.apache.org/')).toEqual({ action: 'deny' });
    expect(w.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://activemq.apache.org/');
  });

  it('stops navigation away from the app page', () => {
    const w = fakeWindow();
    applySecurity(w.window, createTrustedSender('http://localhost:5173'));
    const away = { preventDefault: vi.fn() };
    w.on.get('will-navigate')!(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    w.on.get('will-navigate')!(inside, 'http://localhost:5173/#/config');
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every permission request', async () => {
    const w = fakeWindow();
    applySecurity(w.window, createTrustedSender(undefined));
    await expect(w.permission('media')).resolves.toBe(false);
  });

  it('treats only http and https as external links', () => {
    expect(isExternalUrl('https://x.org')).toBe(true);
    expect(isExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isExternalUrl('not a url')).toBe(false);
  });
});
