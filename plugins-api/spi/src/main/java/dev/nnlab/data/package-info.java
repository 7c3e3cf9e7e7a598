/**
 * Data as a family receives it, and the readers, generators and preparations that make it.
 *
 * <p>A trial gets data of exactly one {@link dev.nnlab.spi.DataKind}, as one of the three
 * {@link dev.nnlab.data.TrainingData} types:
 * <ul>
 *   <li>{@link dev.nnlab.data.LabelledTensors}: vectors {@code (N, D)} or images {@code (N, C, H, W)}
 *       with class labels, split into train / validation / test ({@link dev.nnlab.data.Dataset} is each
 *       part), prepared by {@link dev.nnlab.data.LabelledPreparation} (test part, validation split,
 *       {@code trainSamples}, preprocessing fitted on the training samples);</li>
 *   <li>{@link dev.nnlab.data.TokenStreams}: a {@link dev.nnlab.data.Vocabulary} and token-id sequences
 *       at word or character level, prepared by {@link dev.nnlab.data.TokenPreparation} (vocabulary size);</li>
 *   <li>{@link dev.nnlab.data.TextCorpus}: sentences streamed from a {@link dev.nnlab.data.SentenceSource}
 *       in shares, never held whole, with {@link dev.nnlab.data.WordCounts}.</li>
 * </ul>
 *
 * <p>The host loads raw data from its catalog, prepares it from the run's typed
 * {@link dev.nnlab.data.Preparation}, and shares the result between trials. Plugin tests can build the
 * same objects directly: the generators ({@link dev.nnlab.data.Spirals}, {@link dev.nnlab.data.MarkovText},
 * {@link dev.nnlab.data.WordGroups}...) and readers ({@link dev.nnlab.data.IdxReader},
 * {@link dev.nnlab.data.TextLines}) live here, next to the types they produce.
 */
package dev.nnlab.data;
