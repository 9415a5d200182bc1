// The reader properties with a modest number of runs, for the everyday suite; the slow
// suite (property-readers.slow.test.ts) runs the same properties far longer.
import { describeReaderProperties } from './property-readers.js';

describeReaderProperties(40);
