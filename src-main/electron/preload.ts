import { contextBridge } from 'electron';

// One frozen object on the bridge, never a generic invoke(channel, ...args) (STYLE.md 10).
// The LabApi commands join it with the lab-host issue.
contextBridge.exposeInMainWorld('lab', Object.freeze({ shell: 'electron' as const }));
