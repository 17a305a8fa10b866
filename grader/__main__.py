from grader.cli import run

if __name__ == "__main__":  # worker processes of `grade` import this module without running it
    run()
