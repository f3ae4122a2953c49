"""The read model shared by the domains: what is visible now (snapshot), what was true at
a moment (as-of), the plan tree and which boards answer for what."""
