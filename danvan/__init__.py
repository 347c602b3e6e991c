"""The process at the edge: `app` composes the API, the UI and the boundary into one ASGI app;
`cli` is the `danvan` command. Every other package sits below this one and never imports it."""
