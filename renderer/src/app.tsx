/** The kiosk's root view. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../preload/contract.js';
import { kioskApi } from './kiosk-api.js';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    void kioskApi()?.getInfo().then(setInfo);
  }, []);
  return (
    <main>
      <h1>Kiosk Verify</h1>
      {info?.trainingMode === true && <p role="status">Training mode: no customer data is sent.</p>}
    </main>
  );
}
