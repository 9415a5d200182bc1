// The reader properties with many runs (`npm run test:slow`): the same properties as the
// everyday suite, searched much longer for a failing input.
import { describeReaderProperties } from './property-readers.js';

describeReaderProperties(1000);
