package dev.nnlab.plugins.word2vec;

import dev.nnlab.spi.TrainingJob;

/** A run's word2vec settings, read once from the resolved parameters. */
record Settings(boolean skipGram, int dim, int window, int negative, boolean hierarchicalSoftmax,
                double sample, int minCount, double lr, double minLrFraction, int epochs, int seed, int logEvery,
                boolean sharedNegatives) {

    static Settings of(TrainingJob job) {
        String output = job.stringParam("output");
        return new Settings(job.stringParam("model").equals("skipgram"), job.intParam("dim"), job.intParam("window"),
                output.equals("hs") ? 0 : job.intParam("negative"), !output.equals("negative"), job.doubleParam("sample"), job.intParam("minCount"),
                job.doubleParam("lr"), job.doubleParam("minLrFraction"), job.intParam("epochs"), job.intParam("seed"),
                job.intParam("logEvery"), job.boolParam("sharedNegatives"));
    }
}
