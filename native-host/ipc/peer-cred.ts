/** The client side's view of the peer (the listening daemon): the one SO_PEERCRED reader, in peer/. */
export { peerCredentials, type PeerCred as PeerCredentials } from '../peer/peer-cred.js';
