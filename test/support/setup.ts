import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

// cdktf's matchers (toHaveResource, toHaveResourceWithProperties...); the import above brings their types.
Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';
