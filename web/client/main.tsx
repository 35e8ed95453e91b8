import '@rocket.chat/icons/dist/rocketchat.css';
import './page.css';

import { render } from 'react-dom';

import App from './App';
import { registerMissingElements } from './uikit/registerElements';

registerMissingElements();

render(<App />, document.getElementById('root'));
