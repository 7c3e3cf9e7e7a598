package dev.nnlab.plugins.word2vec;

import dev.nnlab.spi.TrainingJob;

/** A run's word2vec settings, read once from the resolved parameters. */
record Settings(boolean skipGram, int dim, int window, int negative, boolean hierarchicalSoftmax,
                double sample, int minCount, double lr, double minLrFraction, int epochs, int seed, int logEvery) {

    static Settings of(TrainingJob job) {
        return new Settings(job.stringParam("model").equals("skipgram"), job.intParam("dim"), job.intParam("window"),
                job.intParam("negative"), job.boolParam("hs"), job.doubleParam("sample"), job.intParam("minCount"),
                job.doubleParam("lr"), job.doubleParam("minLrFraction"), job.intParam("epochs"), job.intParam("seed"),
                job.intParam("logEvery"));
    }

    /** Rejects combinations the schema cannot express: a model needs at least one output layer. */
    void check() {
        if (negative == 0 && !hierarchicalSoftmax) {
            throw new IllegalArgumentException("negative=0 with hs=false leaves the model without an output layer; "
                    + "allowed: negative >= 1, or hs=true");
        }
    }
}
