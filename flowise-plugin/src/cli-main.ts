// The `flowise-voxflow` command (bundled as dist/cli.js, which sits in the dist folder it installs).
import { main } from './cli'

process.exit(main(process.argv.slice(2), __dirname))
