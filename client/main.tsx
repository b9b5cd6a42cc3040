import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './ui/styles.css'
import './ui/components.css'
import './ui/pages.css'
import './ui/board.css'
import './ui/panels.css'
import './ui/budget.css'
import './ui/notices.css'
import './ui/usage.css'
import './ui/accountPages.css'
import './ui/queue.css'
import './shapes/shapes.css'
import './shapes/prompt/promptCard.css'
import './shapes/generation/steeringNodes.css'
import './ui/steer/steer.css'
import './ui/lineage/lineage.css'
import './ui/finals/finals.css'
import { App } from './ui/App'
import { ToastProvider } from './ui/Toasts'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
	<StrictMode>
		<ToastProvider>
			<App />
		</ToastProvider>
	</StrictMode>,
)
