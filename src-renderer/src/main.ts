import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createLabClient } from './api/index.js';
import type { LabBridge } from './api/index.js';
import App from './App.vue';
import NoToken from './components/NoToken.vue';
import { setLabClient } from './stores/client.js';
import './styles.css';

// Composition root of the renderer: pick the transport (Electron's bridge or web mode's token), hand
// it to the stores, mount.
const theme = localStorage.getItem('failover-lab.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
document.documentElement.dataset['theme'] = theme;
const client = createLabClient(window as Window & { lab?: LabBridge });
if ('error' in client) {
  createApp(NoToken, { message: client.error }).mount('#app');
} else {
  setLabClient(client);
  createApp(App).use(createPinia()).mount('#app');
}
