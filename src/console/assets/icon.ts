// The console's icon: three bars of a queue.
export const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#171a21"/><rect x="3" y="3" width="10" height="2.4" rx="1" fill="#8cc4ff"/><rect x="3" y="6.8" width="7" height="2.4" rx="1" fill="#5fd38d"/><rect x="3" y="10.6" width="4" height="2.4" rx="1" fill="#f0b24a"/></svg>';
