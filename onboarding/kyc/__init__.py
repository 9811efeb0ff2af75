"""The KYC/KYB check pipeline: registered checks, their recorded results, and the decision function."""
