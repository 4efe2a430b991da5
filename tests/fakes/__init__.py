"""Local fakes of APIs that have no emulator, spoken to through the real SDK clients."""
