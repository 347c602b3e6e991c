"""What several test modules share: paths and stores, documents and passages, checks on answers and briefs,
failing embedder exports, processes, the browser."""
