import { shell } from 'electron';
import type { BrowserWindow } from 'electron';

/** Links the app may hand to the system browser; everything else is dropped. */
export function isExternalUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The app's own page: the built renderer (file://) or electron-vite's dev server. */
export function createTrustedSender(devUrl: string | undefined): (url: string) => boolean {
  return (url) => (devUrl ? url.startsWith(devUrl) : url.startsWith('file://'));
}

/**
 * Written-down restrictions (cawa-93/vite-electron-builder): no navigation away from the app, no new
 * windows (external links go to the system browser), every permission request denied.
 */
export function applySecurity(window: BrowserWindow, isTrusted: (url: string) => boolean): void {
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isTrusted(url)) return;
    event.preventDefault();
    if (isExternalUrl(url)) void shell.openExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
