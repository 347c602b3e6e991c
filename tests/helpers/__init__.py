"""What several test modules share: paths and stores, documents, processes, the browser."""
