"""The line model: each line of a page gets a role, and body and fields are assembled from them."""
