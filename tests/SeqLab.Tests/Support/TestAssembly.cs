// Two test classes at a time: the suite runs on 2 cores, and each libtorch test uses its own threads.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 2)]
