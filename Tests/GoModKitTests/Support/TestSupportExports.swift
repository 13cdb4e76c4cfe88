// The HTTP transport tests in Network/ use FakeSumDBServer (GoSumDBTestSupport) without importing
// it; this re-export makes it visible to every file of this target.
@_exported import GoSumDBTestSupport
