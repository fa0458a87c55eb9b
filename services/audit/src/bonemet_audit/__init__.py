"""bonemet audit: the archiver of the audit stream, the hash-chained store and the review surfaces."""
