// Types of cdktf's Jest matchers, registered at runtime by test/support/setup.ts.
import 'cdktf/lib/testing/adapters/jest';
