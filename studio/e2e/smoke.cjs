// A first browser check of Studio (not in CI yet): signs in, reads the palette (with the
// disabled kinds and why), drops the first node and reads the validation panel.
//   STUDIO_URL (e.g. http://127.0.0.1:4173/studio/ from `VOXFLOW_URL=… npx vite preview`),
//   EMAIL, PASSWORD, PLAYWRIGHT (path to playwright-core; Flowise ships one), CHROMIUM.
const { chromium } = require(process.env.PLAYWRIGHT || 'playwright-core')
;(async () => {
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] })
  const p = await b.newPage()
  await p.goto(process.env.STUDIO_URL)
  await p.fill('input[type=email]', process.env.EMAIL)
  await p.fill('input[type=password]', process.env.PASSWORD)
  await p.click('button[type=submit]')
  await p.waitForSelector('aside li button', { timeout: 15000 })
  const names = await p.$$eval('aside li button', (bs) => bs.map((x) => x.textContent + (x.disabled ? ` (disabled: ${x.title})` : '')))
  console.log('palette:', JSON.stringify(names))
  await p.click('aside li button >> nth=0')
  await p.waitForTimeout(1500)
  console.log('validation:', await p.textContent('section[aria-live]'))
  if (process.env.OUT_PNG) await p.screenshot({ path: process.env.OUT_PNG })
  await b.close()
})().catch((e) => { console.error(e); process.exit(1) })
