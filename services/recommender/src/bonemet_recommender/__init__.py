"""bonemet recommender service."""
